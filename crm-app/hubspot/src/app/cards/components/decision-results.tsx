import { Flex, Tag, Text } from "@hubspot/ui-extensions";
import type { DecisionOutcome, DecisionResult } from "../lib/decision-result";

const TAG_VARIANT: Record<DecisionOutcome, "success" | "info" | "default" | "warning" | "error"> = {
  applied: "success",
  applying: "info",
  recorded: "info",
  rejected: "default",
  unchanged: "default",
  conflict: "warning",
  refused: "error",
};

/** What became of the last decisions: one line per proposal, with Tollgate's message. */
export function DecisionResults({ results }: { results: DecisionResult[] }) {
  if (results.length === 0) return null;
  return (
    <Flex direction="column" gap="xs" testId="decision-results">
      {results.map((result) => (
        <Flex key={result.id} direction="row" gap="xs" align="center" testId={`result-${result.id}`}>
          <Tag variant={TAG_VARIANT[result.outcome]}>{result.outcome}</Tag>
          <Text variant="microcopy">
            {result.field}: {result.message}
          </Text>
        </Flex>
      ))}
    </Flex>
  );
}
