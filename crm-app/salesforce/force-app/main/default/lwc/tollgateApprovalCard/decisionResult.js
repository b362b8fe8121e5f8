/**
 * What became of one approve or reject, as the rep reads it (the same outcomes as the HubSpot
 * cards): applying (every approval is in; Tollgate is writing it) · applied · recorded (another
 * approver is needed) · rejected · unchanged (you had decided so already) · conflict (the field or
 * the proposal changed; nothing overwritten) · refused (expired, not allowed, failed…).
 */
export function describeDecision(approval, answer) {
  const field = approval.field;
  const status = answer && answer.status;
  const outcome = answer && answer.outcome;
  let result;
  if (status === "conflict") result = ["conflict", "the field changed since; nothing was overwritten"];
  else if (status === "applied") result = ["applied", "applied to the record"];
  else if (outcome === "partially_approved") {
    const given = (answer.approvedBy || []).length;
    result = [
      "recorded",
      `your approval is recorded (${given} of ${answer.approvalsNeeded}); another approver is needed`,
    ];
  } else if (outcome === "approved") result = ["applying", "approved; Tollgate is applying it"];
  else if (outcome === "rejected") result = ["rejected", "rejected"];
  else if (outcome === "unchanged") result = ["unchanged", "you had already decided this"];
  else result = ["refused", `not decided (${status || "unknown status"})`];
  return { key: `${approval.id}-${result[0]}`, id: approval.id, outcome: result[0], text: `${field}: ${result[1]}` };
}

/** A refused decision with Tollgate's own message ("The proposal changed since you saw it…"). */
export function describeFailure(approval, error) {
  const code = error && error.code;
  const outcome = code === "approval_mismatch" || code === "conflict" ? "conflict" : "refused";
  const message = (error && error.message) || "refused by Tollgate";
  return { key: `${approval.id}-${outcome}`, id: approval.id, outcome, text: `${approval.field}: ${message}` };
}
