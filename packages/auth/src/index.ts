export const placeholder_auth = 1;
