import { LightningElement, api } from "lwc";
import LightningConfirm from "lightning/confirm";
import { notifyRecordUpdateAvailable } from "lightning/uiRecordApi";
import getApprovals from "@salesforce/apex/TollgateCardController.getApprovals";
import approve from "@salesforce/apex/TollgateCardController.approve";
import reject from "@salesforce/apex/TollgateCardController.reject";
import decideBatch from "@salesforce/apex/TollgateCardController.decideBatch";
import {
  errorMessage,
  evidenceLinks,
  evidenceSummary,
  formatConfidence,
  formatTimeLeft,
  formatValue,
  formatWhen,
} from "c/tollgateFormat";
import { describeDecision, describeFailure } from "./decisionResult";

/**
 * The record's AI proposals (GET …/approvals through TollgateCardController). Approve sends the
 * value shown ({expected: {value}}), so Tollgate refuses if the proposal changed since; Reject
 * needs a reason; ticked proposals are approved together after a confirmation, in one batch.
 */
export default class TollgateApprovalCard extends LightningElement {
  @api recordId;
  @api objectApiName;

  state = "loading";
  errorText = "";
  approvals = [];
  selected = [];
  rejectingId = null;
  rejectReason = "";
  busy = false;
  results = [];

  connectedCallback() {
    this.load();
  }

  async load() {
    this.state = "loading";
    try {
      const answer = JSON.parse(await getApprovals({ recordId: this.recordId }));
      this.approvals = Array.isArray(answer.approvals) ? answer.approvals : [];
      this.selected = this.selected.filter((id) => this.approvals.some((a) => a.id === id && a.status === "pending"));
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

  get pending() {
    const now = new Date();
    return this.approvals
      .filter((a) => a.status === "pending")
      .map((a) => ({
        id: a.id,
        field: a.field,
        currentText: formatValue(a.currentValue),
        proposedText: formatValue(a.proposedValue),
        confidenceText: formatConfidence(a.confidence),
        sourceText: a.source || "—",
        reasonText: a.reason || "No reason given",
        agentText: a.agentId ? `Proposed by ${a.agentId}` : "Proposed by an agent",
        riskFlags: a.riskFlags || [],
        hasRisk: (a.riskFlags || []).length > 0,
        links: evidenceLinks(a.evidence),
        summary: evidenceSummary(a.evidence),
        approvalsText: `${(a.approvedBy || []).length} of ${a.approvalsNeeded} approvals`,
        timeLeft: formatTimeLeft(a.expiresAt, now),
        checked: this.selected.includes(a.id),
        selectLabel: `Select ${a.field}`,
        isRejecting: this.rejectingId === a.id,
      }));
  }

  get decided() {
    return this.approvals
      .filter((a) => a.status !== "pending")
      .map((a) => ({
        id: a.id,
        text: `${a.field}: ${formatValue(a.proposedValue)} — ${a.status.replace(/_/g, " ")}${
          a.rejectReason ? ` (${a.rejectReason})` : ""
        }, ${formatWhen(a.createdAt)}`,
      }));
  }

  get hasPending() {
    return this.pending.length > 0;
  }

  get hasDecided() {
    return this.decided.length > 0;
  }

  get hasResults() {
    return this.results.length > 0;
  }

  get approveSelectedLabel() {
    return `Approve selected (${this.selected.length})`;
  }

  get batchDisabled() {
    return this.busy || this.selected.length === 0;
  }

  get rejectDisabled() {
    return this.busy || this.rejectReason.trim().length === 0;
  }

  handleRefresh() {
    this.results = [];
    this.load();
  }

  handleSelect(event) {
    const id = event.target.dataset.approvalId;
    const others = this.selected.filter((s) => s !== id);
    this.selected = event.target.checked ? [...others, id] : others;
  }

  async handleApprove(event) {
    const approval = this.findApproval(event.target.dataset.approvalId);
    if (!approval) return;
    await this.decide(async () => {
      const answer = JSON.parse(await approve({ approvalId: approval.id, expectedValue: approval.proposedValue }));
      return [describeDecision(approval, answer)];
    }, [approval]);
  }

  handleStartReject(event) {
    this.rejectingId = event.target.dataset.approvalId;
    this.rejectReason = "";
  }

  handleCancelReject() {
    this.rejectingId = null;
    this.rejectReason = "";
  }

  handleReasonChange(event) {
    this.rejectReason = event.detail.value ?? event.target.value ?? "";
  }

  async handleConfirmReject() {
    const approval = this.findApproval(this.rejectingId);
    const reason = this.rejectReason.trim();
    if (!approval || reason.length === 0) return;
    await this.decide(async () => {
      const answer = JSON.parse(await reject({ approvalId: approval.id, reason }));
      return [describeDecision(approval, answer)];
    }, [approval]);
    this.rejectingId = null;
    this.rejectReason = "";
  }

  /** One batch for every ticked proposal, each approving the value shown, after a confirmation. */
  async handleApproveSelected() {
    const chosen = this.selected.map((id) => this.findApproval(id)).filter((a) => a);
    if (chosen.length === 0) return;
    const confirmed = await LightningConfirm.open({
      label: "Approve proposals",
      message: `Approve ${chosen.length} proposal${chosen.length === 1 ? "" : "s"}: ${chosen
        .map((a) => `${a.field} → ${formatValue(a.proposedValue)}`)
        .join(", ")}?`,
      variant: "header",
      theme: "warning",
    });
    if (!confirmed) return;
    const items = chosen.map((a) => ({ id: a.id, decision: "approve", expected: { value: a.proposedValue } }));
    await this.decide(async () => {
      const answer = JSON.parse(await decideBatch({ itemsJson: JSON.stringify(items) }));
      return (answer.results || []).map((r) => {
        const approval = chosen.find((a) => a.id === r.id) || { id: r.id, field: r.id };
        return r.ok
          ? describeDecision(approval, { ...(r.approval || {}), status: r.status, outcome: r.outcome })
          : describeFailure(approval, r.error);
      });
    }, chosen);
    this.selected = [];
  }

  findApproval(id) {
    return this.approvals.find((a) => a.id === id);
  }

  /** Runs one decision, shows what became of it, then refreshes the record and the list. */
  async decide(run, approvals) {
    this.busy = true;
    try {
      this.results = await run();
      if (this.results.some((r) => r.outcome === "applied" || r.outcome === "applying")) {
        await notifyRecordUpdateAvailable([{ recordId: this.recordId }]);
      }
    } catch (error) {
      this.results = approvals.map((a) => describeFailure(a, { message: errorMessage(error) }));
    } finally {
      this.busy = false;
    }
    await this.load();
  }
}
