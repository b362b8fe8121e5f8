import {
  Button,
  EmptyState,
  ErrorState,
  Flex,
  hubspot,
  LoadingSpinner,
  Text,
  type CrmContext,
} from "@hubspot/ui-extensions";
import { useMemo } from "react";
import { ProvenanceChange } from "./components/provenance-change";
import { useProvenance } from "./hooks/use-provenance";
import { identityOf } from "./lib/tollgate-url";

/** Changes per page: a tab shows them without scrolling far, and each page is one small request. */
export const PROVENANCE_PAGE_SIZE = 10;

export interface ProvenanceCardProps {
  context: CrmContext;
  /** @defaultValue {@link PROVENANCE_PAGE_SIZE} */
  pageSize?: number;
}

/** Entry point of `provenance-card-hsmeta.json` (record tab). */
hubspot.extend<"crm.record.tab">(({ context }) => <ProvenanceCard context={context} />);

/** The record's governed changes, newest first, paged. */
export function ProvenanceCard({ context, pageSize = PROVENANCE_PAGE_SIZE }: ProvenanceCardProps) {
  const identity = useMemo(() => identityOf(context), [context]);
  const { state, page, hasPrevious, hasNext, next, previous, retry } = useProvenance(identity, pageSize);

  if (state.status === "loading")
    return <LoadingSpinner testId="provenance-loading" label="Loading changes" layout="centered" />;
  if (state.status === "error") {
    return (
      <ErrorState testId="provenance-error" title="Couldn't load the change history">
        <Text>{state.error}</Text>
        <Button testId="provenance-retry" onClick={retry}>
          Try again
        </Button>
      </ErrorState>
    );
  }
  if (state.changes.length === 0 && page === 1) {
    return (
      <EmptyState testId="provenance-empty" title="No governed changes yet" layout="vertical" imageName="task" flush>
        <Text>Changes made or proposed by AI agents to this record, and the decisions on them, will show here.</Text>
      </EmptyState>
    );
  }
  return (
    <Flex direction="column" gap="sm">
      {state.changes.map((change) => (
        <ProvenanceChange key={change.eventId} change={change} />
      ))}
      <Flex direction="row" gap="sm" align="center" justify="between">
        <Button testId="provenance-previous" size="xs" disabled={!hasPrevious} onClick={previous}>
          Previous
        </Button>
        <Text variant="microcopy" testId="provenance-page">
          Page {page}
        </Text>
        <Button testId="provenance-next" size="xs" disabled={!hasNext} onClick={next}>
          Next
        </Button>
      </Flex>
    </Flex>
  );
}
