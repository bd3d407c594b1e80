/**
 * Reference images for image-to-video, read as Open-Sora v1.2 reads them: Pillow's bicubic resize, the centre crop
 * to the video's size, and the normalisation the VAE's encoder expects.
 */
package jsora.models.image;
