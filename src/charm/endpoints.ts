export const CERTIFICATES_ENDPOINT = "certificates";
export const TRUST_ENDPOINT = "trust_certificate";
export const TRACING_ENDPOINT = "tracing";
