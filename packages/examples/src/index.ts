export const placeholder_examples = 1;
