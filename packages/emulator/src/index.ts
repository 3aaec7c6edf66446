export const placeholder_emulator = 1;
