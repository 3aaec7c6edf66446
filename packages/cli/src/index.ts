export const placeholder_cli = 1;
