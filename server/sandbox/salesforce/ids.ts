const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Key prefixes of the objects the sandbox knows (the first three characters of every id). */
export const KEY_PREFIXES: Record<string, string> = {
  Account: "001",
  Contact: "003",
  Opportunity: "006",
  Lead: "00Q",
  Task: "00T",
  User: "005",
  Organization: "00D",
  PermissionSet: "0PS",
  PermissionSetAssignment: "0Pa",
  UserLogin: "060",
  PlatformEventChannelMember: "0v8",
};

/** The 3-character suffix that makes a 15-character id case-insensitive (Salesforce's own scheme). */
export function idSuffix(id15: string): string {
  let suffix = "";
  for (let block = 0; block < 3; block++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(block * 5 + i);
      if (c >= "A" && c <= "Z") flags += 1 << i;
    }
    suffix += ALPHABET.charAt(flags);
  }
  return suffix;
}

/** Hands out 18-character ids, per key prefix, in increasing order (so `ORDER BY Id` is creation order). */
export class IdGenerator {
  private next = new Map<string, number>();
  constructor(private readonly pod = "5g") {}

  issue(prefix: string): string {
    const n = (this.next.get(prefix) ?? 0) + 1;
    this.next.set(prefix, n);
    let digits = "";
    for (let v = n, i = 0; i < 10; i++, v = Math.floor(v / 62)) digits = BASE62.charAt(v % 62) + digits;
    const id15 = `${prefix}${this.pod}${digits}`;
    return id15 + idSuffix(id15);
  }
}
