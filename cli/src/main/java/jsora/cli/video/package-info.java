/**
 * Video writers: MP4 (H.264), GIF and folders of PNG frames, each written to a temporary name and renamed.
 */
package jsora.cli.video;
