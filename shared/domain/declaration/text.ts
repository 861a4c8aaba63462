// What free text a platform or an agency sends may contain. Names, addresses, descriptions and reasons
// are stored, shown to officers, put in CSV files and sent on to webhooks and other agencies: text there
// is printable. Refused: C0 and C1 control characters (NUL, escape, line breaks), the bidirectional
// embeddings, overrides and isolates that make text display other than it reads ("Trojan Source",
// CVE-2021-42574; right-to-left scripts need none of them), and unpaired surrogates, which are not
// Unicode at all and cannot be written as UTF-8. Emoji, combining marks and every script pass.

export const PLAIN_TEXT_MESSAGE =
  'must be plain text: no control characters, bidirectional overrides or unpaired surrogates';

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

const isRefused = (code: number): boolean =>
  code < 0x20 ||
  (code >= 0x7f && code <= 0x9f) ||
  (code >= 0x202a && code <= 0x202e) ||
  (code >= 0x2066 && code <= 0x2069);

export const isPlainText = (value: string): boolean => {
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (isHighSurrogate(code)) {
      if (!isLowSurrogate(value.charCodeAt(index + 1))) return false;
      index += 1;
    } else if (isLowSurrogate(code) || isRefused(code)) {
      return false;
    }
  }
  return true;
};
