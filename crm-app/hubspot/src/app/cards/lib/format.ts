/** Pure formatting for both cards: what a rep reads, never how it is laid out. */

/** `null`, `undefined` and `""` all read as "(empty)"; objects as compact JSON. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return "(empty)";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** 0–1 → "82%"; unknown → "—". */
export function formatConfidence(confidence: number | null): string {
  return confidence === null ? "—" : `${Math.round(confidence * 100)}%`;
}

/** "2d 3h left", "3h 12m left", "14m left", "less than a minute left" or "expired". */
export function formatTimeLeft(expiresAt: string, now: Date): string {
  const ms = Date.parse(expiresAt) - now.getTime();
  if (Number.isNaN(ms)) return "no expiry";
  if (ms <= 0) return "expired";
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return `${days}d ${hours}h left`;
  if (hours > 0) return `${hours}h ${mins}m left`;
  if (mins > 0) return `${mins}m left`;
  return "less than a minute left";
}

/** Where a rep reads times: the portal's time zone and the user's locale (from the card's context). */
export interface Display {
  timeZone?: string | undefined;
  locale?: string | undefined;
}

/**
 * ISO-8601 → a date and time in the portal's time zone and the user's locale ("Jun 3, 2025,
 * 4:30 PM GMT+2"); without a `display`, "2025-03-04 14:05 UTC".
 */
export function formatWhen(iso: string, display?: Display): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  if (display?.timeZone) {
    try {
      return new Intl.DateTimeFormat(display.locale ?? "en-US", {
        year: "numeric",
        month: "short",
        day: "numeric",
        hour: "numeric",
        minute: "2-digit",
        timeZone: display.timeZone,
        timeZoneName: "short",
      }).format(ms);
    } catch {
      // An unknown zone or locale falls back to the unambiguous UTC form below.
    }
  }
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

const RISK_FLAG_LABELS: Record<string, string> = {
  exec_persona: "Executive contact",
  named_account: "Named account",
  regulated_industry: "Regulated industry",
  new_segment: "New segment",
  new_domain: "New sending domain",
  low_confidence_source: "Low-confidence source",
  low_confidence: "Low confidence",
  large_account: "Large account",
};

/** A risk flag code as words: "exec_persona" → "Executive contact"; unknown codes in sentence case. */
export function riskFlagLabel(flag: string): string {
  const known = RISK_FLAG_LABELS[flag];
  if (known) return known;
  const words = flag.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export interface EvidenceLink {
  label: string;
  href: string;
}

/**
 * The links in an evidence bundle (docs/contracts.md#fields-the-app-installs: JSON with sources, signals, facts):
 * entries of
 * `sources[]` (URL strings or `{url, title|name|label}`) and top-level `url`/`urls`. Only
 * http(s) URLs become links, so a bundle cannot smuggle a `javascript:` href into the card.
 * A bundle stored as a JSON string (the `ai_sdr_evidence` property) is parsed first.
 */
export function evidenceLinks(evidence: unknown): EvidenceLink[] {
  const bundle = typeof evidence === "string" ? parseJson(evidence) : evidence;
  if (typeof bundle !== "object" || bundle === null) return [];
  const record = bundle as Record<string, unknown>;
  const candidates: unknown[] = [
    ...(Array.isArray(record.sources) ? record.sources : []),
    ...(Array.isArray(record.urls) ? record.urls : []),
    ...(record.url === undefined ? [] : [record.url]),
  ];
  const links: EvidenceLink[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    const link = toLink(candidate);
    if (link && !seen.has(link.href)) {
      seen.add(link.href);
      links.push(link);
    }
  }
  return links;
}

/** Evidence that is not links (signals, facts), as one short line; "" when there is none. */
export function evidenceSummary(evidence: unknown): string {
  const bundle = typeof evidence === "string" ? (parseJson(evidence) ?? evidence) : evidence;
  if (bundle === null || bundle === undefined) return "";
  if (typeof bundle !== "object") return String(bundle);
  const rest = Object.fromEntries(
    Object.entries(bundle as Record<string, unknown>).filter(([k]) => k !== "sources" && k !== "urls" && k !== "url"),
  );
  return Object.keys(rest).length === 0 ? "" : JSON.stringify(rest);
}

function toLink(candidate: unknown): EvidenceLink | undefined {
  if (typeof candidate === "string")
    return isHttpUrl(candidate) ? { label: hostOf(candidate), href: candidate } : undefined;
  if (typeof candidate !== "object" || candidate === null) return undefined;
  const { url, href, title, name, label } = candidate as Record<string, unknown>;
  const target = typeof url === "string" ? url : typeof href === "string" ? href : undefined;
  if (target === undefined || !isHttpUrl(target)) return undefined;
  const text = [title, name, label].find((v): v is string => typeof v === "string" && v.length > 0);
  return { label: text ?? hostOf(target), href: target };
}

function isHttpUrl(value: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(value);
}

function hostOf(url: string): string {
  const match = /^https?:\/\/([^/?#]+)/i.exec(url);
  return match?.[1] ?? url;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** "Agent enrichment-bot (enrichment)", "HubSpot user 4211", "Person olive", "System tollgate". */
export function describeActor(actor: { type: "agent" | "human" | "system"; id: string; role: string | null }): string {
  if (actor.type === "agent") return actor.role ? `Agent ${actor.id} (${actor.role})` : `Agent ${actor.id}`;
  const hubspotUser = /^hubspot:user:(\d+)$/.exec(actor.id);
  if (actor.type === "human") return hubspotUser ? `HubSpot user ${hubspotUser[1]}` : `Person ${actor.id}`;
  return `System ${actor.id}`;
}

const OUTCOME_LABELS: Record<string, string> = {
  allow: "allowed",
  needs_approval: "needs approval",
  deny: "denied",
  killed: "kill switch on",
  over_cap: "over cap",
  outside_window: "outside window",
  observed: "observed",
  partially_approved: "partly approved",
  write_skipped: "write skipped",
  write_failed: "write failed",
};

/** A provenance outcome (policy outcome or approval step) as a rep reads it; unknown ones as sent. */
export function outcomeLabel(outcome: string): string {
  return OUTCOME_LABELS[outcome] ?? outcome.replace(/_/g, " ");
}
