// The Content-Security-Policy of every page the service answers with HTML (the web library, its
// error pages, a clip's kept files): a leaf module, so pages, error pages and routes share it
// without importing each other.

/**
 * Clipped pages are hostile: no script may run on any page of the library (there is none of our
 * own), styles come only from our stylesheet, forms post only here, and nobody may frame us.
 */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; img-src https: http: data:; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
