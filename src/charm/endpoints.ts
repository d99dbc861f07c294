export const CERTIFICATES_ENDPOINT = "certificates";
