/**
 * Two CSR texts name the same request when their DER is the same. Requirers of v1-v3 match on
 * the exact string, so we always echo theirs; this key only finds which request an operator's
 * copy (re-wrapped, CRLF, trailing newline) stands for.
 */
export function csrIdentity(text: string): string {
  let identity = identities.get(text);
  if (identity === undefined) {
    identity = computeIdentity(text);
    // Each hook asks for the same few thousand texts several times; a hook is one process.
    if (identities.size >= MAX_REMEMBERED) identities.clear();
    identities.set(text, identity);
  }
  return identity;
}

const MAX_REMEMBERED = 20_000;
const identities = new Map<string, string>();

function computeIdentity(text: string): string {
  const begin = text.indexOf("-----BEGIN");
  const bodyStart = begin === -1 ? 0 : text.indexOf("-----", begin + 10) + 5;
  const end = text.indexOf("-----END", bodyStart);
  const body = end === -1 ? text.slice(bodyStart) : text.slice(bodyStart, end);
  return body.replace(/\s+/g, "");
}
