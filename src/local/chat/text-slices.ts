/**
 * Long texts in slices, so the work on one request can be spread over many event-loop turns. A slice
 * ends just before a single space that follows a non-space and precedes a non-space: no word, and no
 * token of the o200k / cl100k pre-tokenizers, spans such a cut, so per-slice counts add up exactly.
 */
export const SLICE_CHARS = 32 * 1024;

export function* textSlices(text: string, size = SLICE_CHARS): Generator<string> {
  let start = 0;
  while (text.length - start > size) {
    let cut = start + size;
    while (cut > start + size / 2 && !isCut(text, cut)) cut--;
    // No clean cut in the second half of the window (one huge "word"): cut anyway, exactness be damned.
    if (cut === start + size / 2) cut = start + size;
    yield text.slice(start, cut);
    start = cut;
  }
  yield text.slice(start);
}

function isCut(text: string, at: number): boolean {
  return text[at] === ' ' && !/\s/.test(text[at - 1]) && at + 1 < text.length && !/\s/.test(text[at + 1]);
}
