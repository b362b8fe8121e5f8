import { LightningElement, api } from "lwc";
import getProvenance from "@salesforce/apex/TollgateCardController.getProvenance";
import {
  describeActor,
  errorMessage,
  evidenceLinks,
  evidenceSummary,
  formatConfidence,
  formatValue,
  formatWhen,
  outcomeLabel,
} from "c/tollgateFormat";

/** Entries per page: each is wide, and the history is read at leisure. */
const PAGE_SIZE = 10;

/**
 * The record's governed changes (GET …/provenance through TollgateCardController), newest first,
 * PAGE_SIZE at a time: who (agent and role, person, or Tollgate), what and when, before → after,
 * the decision with its rule and policy version, who approved, why, and on what evidence.
 */
export default class TollgateProvenanceCard extends LightningElement {
  @api recordId;
  @api objectApiName;

  state = "loading";
  errorText = "";
  changes = [];
  /** Cursors of the pages before this one ('' is the first page), and of the next. */
  previousCursors = [];
  currentCursor = "";
  nextCursor = null;

  connectedCallback() {
    this.load("");
  }

  async load(cursor) {
    this.state = "loading";
    try {
      const page = JSON.parse(await getProvenance({ recordId: this.recordId, pageSize: PAGE_SIZE, cursor }));
      this.changes = Array.isArray(page.changes) ? page.changes : [];
      this.nextCursor = page.nextCursor || null;
      this.currentCursor = cursor;
      this.state = "ready";
    } catch (error) {
      this.errorText = errorMessage(error);
      this.state = "error";
    }
  }

  get isLoading() {
    return this.state === "loading";
  }

  get isError() {
    return this.state === "error";
  }

  get hasChanges() {
    return this.changes.length > 0;
  }

  get entries() {
    return this.changes.map((c, index) => ({
      key: `${c.eventId}-${c.field ?? ""}-${index}`,
      eventId: c.eventId,
      who: describeActor(c.actor),
      what: `${c.action ? c.action.replace(/_/g, " ") : "change"}${c.field ? ` · ${c.field}` : ""}`,
      when: formatWhen(c.occurredAt),
      beforeText: formatValue(c.before),
      afterText: formatValue(c.after),
      decision: [
        outcomeLabel(c.outcome),
        c.ruleId ? `rule ${c.ruleId}` : "",
        c.policyVersion ? `policy ${c.policyVersion.slice(0, 12)}` : "",
      ]
        .filter((part) => part)
        .join(" · "),
      approvedBy: (c.approvedBy || []).length > 0 ? `Approved by ${c.approvedBy.join(", ")}` : "",
      why: [
        c.reason,
        c.confidence === null || c.confidence === undefined ? "" : `confidence ${formatConfidence(c.confidence)}`,
        c.source ? `source ${c.source}` : "",
      ]
        .filter((part) => part)
        .join(" · "),
      links: evidenceLinks(c.evidence),
      summary: evidenceSummary(c.evidence),
    }));
  }

  get previousDisabled() {
    return this.isLoading || this.previousCursors.length === 0;
  }

  get nextDisabled() {
    return this.isLoading || !this.nextCursor;
  }

  handleNext() {
    if (!this.nextCursor) return;
    this.previousCursors = [...this.previousCursors, this.currentCursor];
    this.load(this.nextCursor);
  }

  handlePrevious() {
    if (this.previousCursors.length === 0) return;
    const cursor = this.previousCursors[this.previousCursors.length - 1];
    this.previousCursors = this.previousCursors.slice(0, -1);
    this.load(cursor);
  }

  handleRetry() {
    this.load(this.currentCursor);
  }
}
