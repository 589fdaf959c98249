/** tgpipe's version, printed by --version and doctor. */
export const VERSION = "0.1.0";
