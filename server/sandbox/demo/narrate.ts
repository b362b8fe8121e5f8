/** Plain terminal narration for the demo: headings, steps and small tables. */
const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: string, s: string) => (useColor ? `\x1b[${code}m${s}\x1b[0m` : s);

export const bold = (s: string) => paint("1", s);
export const dim = (s: string) => paint("2", s);
export const green = (s: string) => paint("32", s);
export const red = (s: string) => paint("31", s);
export const yellow = (s: string) => paint("33", s);

export function heading(n: number, title: string): void {
  console.log(`\n${bold(`${n}. ${title}`)}`);
}

export function say(line: string): void {
  console.log(`   ${line}`);
}

export function table(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  for (const [i, r] of rows.entries()) {
    const line = r.map((c, j) => c.padEnd(widths[j]!)).join("  ");
    console.log(`   ${i === 0 ? bold(line) : line}`);
  }
}

export function short(value: unknown, max = 28): string {
  const s =
    value === null || value === undefined || value === ""
      ? "∅"
      : typeof value === "string"
        ? value
        : JSON.stringify(value);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
