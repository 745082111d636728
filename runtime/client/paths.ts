// Names and IDs inside Engine API paths. A user's argument goes into a URL path, so every
// character that means something there (space, "?", "#", "%") must be escaped — Node refuses a
// path with a space ("Request path contains unescaped characters") and a "?" would start the
// query. The service decodes each parameter (router.ts decodeSegment).

/** A container, volume or exec name/ID as one path segment. */
export function idPath(id: string): string {
  return encodeURIComponent(id);
}

/**
 * An image reference: each "/"-separated part escaped, the slashes kept, as Docker's clients
 * send `registry.example/team/app:1.2` (the image routes take a multi-segment {name*}).
 */
export function imagePath(ref: string): string {
  return ref.split('/').map(encodeURIComponent).join('/');
}
