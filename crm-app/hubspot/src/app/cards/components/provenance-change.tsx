import { Flex, Tag, Text, Tile } from "@hubspot/ui-extensions";
import { describeActor, formatConfidence, formatValue, formatWhen, outcomeLabel } from "../lib/format";
import type { ProvenanceChange as Change } from "../lib/types";
import { EvidenceLinks } from "./evidence-links";
import { FieldName } from "./field-name";

const OUTCOME_VARIANT: Record<string, "success" | "warning" | "error" | "info" | "default"> = {
  allow: "success",
  applied: "success",
  approved: "success",
  needs_approval: "info",
  partially_approved: "info",
  deny: "error",
  killed: "error",
  failed: "error",
  refused: "error",
  write_failed: "error",
  over_cap: "warning",
  outside_window: "warning",
  conflict: "warning",
  write_skipped: "warning",
};

/** One governed change: who, when, before → after, the decision and its rule, approvers, evidence. */
export function ProvenanceChange({ change: c }: { change: Change }) {
  return (
    <Tile compact testId={`change-${c.eventId}`}>
      <Flex direction="column" gap="xs">
        <Flex direction="row" gap="xs" align="center">
          <Tag variant={OUTCOME_VARIANT[c.outcome] ?? "default"} testId={`outcome-${c.eventId}`}>
            {outcomeLabel(c.outcome)}
          </Tag>
          <FieldName item={c} testId={`field-${c.eventId}`} />
        </Flex>
        {c.field !== null && (
          <Text testId={`values-${c.eventId}`}>
            {formatValue(c.before)} → {formatValue(c.after)}
          </Text>
        )}
        <Text variant="microcopy" testId={`actor-${c.eventId}`}>
          {describeActor(c.actor)} · {c.action.replace(/_/g, " ")} · {formatWhen(c.occurredAt)}
        </Text>
        {(c.ruleId !== null || c.policyVersion !== null) && (
          <Text variant="microcopy" testId={`rule-${c.eventId}`}>
            {c.ruleId !== null ? `Rule ${c.ruleId}` : "No rule"}
            {c.policyVersion !== null ? ` · policy ${c.policyVersion.slice(0, 12)}` : ""}
          </Text>
        )}
        {c.approvedBy.length > 0 && (
          <Text variant="microcopy" testId={`approvers-${c.eventId}`}>
            Approved by {c.approvedBy.join(", ")}
          </Text>
        )}
        {(c.reason !== null || c.confidence !== null || c.source !== null) && (
          <Text variant="microcopy" testId={`why-${c.eventId}`}>
            {[
              c.reason,
              c.confidence !== null ? `confidence ${formatConfidence(c.confidence)}` : null,
              c.source !== null ? `source ${c.source}` : null,
            ]
              .filter((part): part is string => part !== null)
              .join(" · ")}
          </Text>
        )}
        <EvidenceLinks evidence={c.evidence} testId={`evidence-${c.eventId}`} />
        <Text variant="microcopy" testId={`event-${c.eventId}`}>
          Audit event {c.eventId}
        </Text>
      </Flex>
    </Tile>
  );
}
