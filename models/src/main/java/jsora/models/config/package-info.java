/**
 * Reading the fields of a model's config.json, each checked for its kind and named by its path in errors.
 */
package jsora.models.config;
