/** Streamed text passed on in pieces that end at whitespace (the rest is held until more arrives). */
export class WordChunks {
  private pending = '';

  constructor(private readonly emit: (text: string) => void) {}

  push(text: string): void {
    this.pending += text;
    const cut = lastWhitespace(this.pending);
    if (cut < 0) return;
    this.emit(this.pending.slice(0, cut + 1));
    this.pending = this.pending.slice(cut + 1);
  }
}

function lastWhitespace(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) if (/\s/.test(text[i])) return i;
  return -1;
}
