import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from "yaml";

export type KeyPath = ReadonlyArray<string | number>;

/** `["agents", 0, "role"]` → `agents[0].role`; the empty path → `(root)`. */
export function formatKeyPath(path: KeyPath): string {
  if (path.length === 0) return "(root)";
  let out = "";
  for (const seg of path) out += typeof seg === "number" ? `[${seg}]` : out === "" ? seg : `.${seg}`;
  return out;
}

/**
 * Where in the YAML source `path` points: the value's node when it exists, else the key of the
 * deepest pair found (a missing key is reported at its parent). With `atKey`, the key node of the
 * last segment (for "unknown key" problems). Aliases are followed, so a problem inside an anchored
 * block is reported at the anchor.
 */
export function locateNode(
  doc: Document,
  lineCounter: LineCounter,
  path: KeyPath,
  atKey = false,
): { line: number; column: number } {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isAlias(node)) node = node.resolve(doc);
    let next: unknown;
    let keyNode: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(seg));
      keyNode = pair?.key;
      next = pair?.value;
    } else if (isSeq(node) && typeof seg === "number") {
      next = node.items[seg];
    }
    const last = i === path.length - 1;
    const keyStart = rangeStart(keyNode);
    if (last && atKey && keyStart !== undefined) {
      offset = keyStart;
      break;
    }
    const nextStart = rangeStart(next);
    if (nextStart === undefined || (isScalar(next) && next.value === null)) {
      // Missing or empty value: point at its key when there is one.
      if (keyStart !== undefined) offset = keyStart;
      break;
    }
    offset = nextStart;
    node = next;
  }
  const pos = lineCounter.linePos(offset);
  return { line: Math.max(pos.line, 1), column: Math.max(pos.col, 1) };
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | undefined)?.range;
  return range ? range[0] : undefined;
}
