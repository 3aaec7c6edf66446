// Partition value fixtures shared by the client unit tests and the reliability suite.

/** Values no partition may have: separators, blank/padded, control characters, broken Unicode, too long. */
export const HOSTILE_VALUES: ReadonlyArray<readonly [string, string]> = [
  ['the original attack', '99/hh=07'],
  ['spec injection by quote', "x',hh='07"],
  ['empty', ''],
  ['one space', ' '],
  ['only spaces', '   '],
  ['only a tab', '\t'],
  ['leading space', ' 07'],
  ['trailing space', '07 '],
  ['leading tab', '\t07'],
  ['trailing newline', '07\n'],
  ['leading NBSP', '\u00a007'],
  ['trailing ideographic space', '07\u3000'],
  ['slash', 'a/b'],
  ['lone slash', '/'],
  ['equals', 'a=b'],
  ['lone equals', '='],
  ['comma', 'a,b'],
  ['lone comma', ','],
  ['key=value inside', 'hh=07'],
  ['newline inside', 'a\nb'],
  ['carriage return inside', 'a\rb'],
  ['tab inside', 'a\tb'],
  ['NUL', 'a\u0000b'],
  ['SOH', 'a\u0001b'],
  ['ESC', 'a\u001bb'],
  ['vertical tab', 'a\u000bb'],
  ['DEL', 'a\u007fb'],
  ['C1 NEL', 'a\u0085b'],
  ['line separator', 'a\u2028b'],
  ['paragraph separator', 'a\u2029b'],
  ['lone high surrogate', 'a\ud800'],
  ['lone low surrogate', '\udc00a'],
  ['256 ASCII bytes', 'a'.repeat(256)],
  ['258 UTF-8 bytes', '北'.repeat(86)],
];

/** Keys no partition column can have. */
export const HOSTILE_KEYS: readonly string[] = ['', 'd-s', '1ds', 'ds hh', 'ds=x', "ds'", 'ds\n', '北', 'a'.repeat(129)];

/** Values that are legal and must survive every hop unchanged. */
export const TRICKY_VALUES: readonly string[] = [
  'a\\b', "it's", 'say "hi"', "\\'", 'two  inner  spaces', '北京', 'emoji 😀', '50%', 'a&b', 'a+b', 'a?b#c', '$x:y.z!@', 'ün;ï',
  'x'.repeat(255),
];
