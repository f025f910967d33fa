/**
 * Splits a pretty-printed top-level JSON array (the original guide's input before remove_indents) into
 * its elements, fed one line at a time, so a large array never sits in memory as a whole.
 * Each element is reported with the line where it starts.
 */
export interface ArrayElement {
  line: number;
  /** null: the element is longer than the scanner's bound and was not kept. */
  text: string | null;
}

export class JsonArrayScanner {
  /** 0: before "[", 1: inside the array, 2: after "]". */
  private phase = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private parts: string[] | null = null;
  /** Characters of the element so far (UTF-16 units: at most its UTF-8 bytes); -1 once it is over the bound. */
  private partsLength = 0;
  private elementLine = 0;
  /** Non-whitespace text found after the closing "]" (line number), if any. */
  trailingLine: number | null = null;

  /** @param maxElementBytes elements longer than this are reported with text null instead of being kept. */
  constructor(private readonly maxElementBytes = Infinity) {}

  get closed(): boolean {
    return this.phase === 2;
  }

  feed(text: string, line: number): ArrayElement[] {
    const done: ArrayElement[] = [];
    let segmentStart = this.parts ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (this.phase !== 1) {
        if (isSpace(ch)) continue;
        if (this.phase === 0 && ch === 0x5b /* [ */) this.phase = 1;
        else if (this.trailingLine === null) this.trailingLine = line;
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === 0x5c /* \ */) this.escaped = true;
        else if (ch === 0x22 /* " */) this.inString = false;
        continue;
      }
      if (this.depth === 0 && (ch === 0x2c /* , */ || ch === 0x5d /* ] */)) {
        if (this.parts) {
          this.keep(text.slice(segmentStart, i));
          done.push({ line: this.elementLine, text: this.partsLength < 0 ? null : this.parts.join('') });
          this.parts = null;
          segmentStart = -1;
        }
        if (ch === 0x5d) this.phase = 2;
        continue;
      }
      if (this.parts === null) {
        if (isSpace(ch)) continue;
        this.parts = [];
        this.partsLength = 0;
        this.elementLine = line;
        segmentStart = i;
      }
      if (ch === 0x22) this.inString = true;
      else if (ch === 0x7b || ch === 0x5b) this.depth++;
      else if (ch === 0x7d || ch === 0x5d) this.depth--;
    }
    if (this.parts) this.keep(text.slice(segmentStart) + '\n');
    return done;
  }

  private keep(segment: string): void {
    if (this.partsLength < 0) return;
    this.partsLength += segment.length;
    if (this.partsLength <= this.maxElementBytes) this.parts!.push(segment);
    else {
      this.partsLength = -1;
      this.parts = [];
    }
  }
}

function isSpace(ch: number): boolean {
  return ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09;
}
