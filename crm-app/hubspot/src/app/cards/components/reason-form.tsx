import { Button, Flex, TextArea } from "@hubspot/ui-extensions";
import { useState } from "react";

export interface ReasonFormProps {
  /** Names the inputs for tests: `<id>-reason`, `<id>-confirm`, `<id>-cancel`. */
  id: string;
  confirmLabel: string;
  /** @defaultValue "Reason for rejecting" */
  label?: string;
  disabled: boolean;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}

/**
 * Asks why before a rejection. An empty reason is refused here, before any request: Tollgate
 * refuses it too (`rejectBodySchema`), and the reason is what the agent's owner reads later.
 */
export function ReasonForm({ id, confirmLabel, label, disabled, onConfirm, onCancel }: ReasonFormProps) {
  const [reason, setReason] = useState("");
  const [refused, setRefused] = useState(false);

  const confirm = () => {
    const trimmed = reason.trim();
    if (trimmed === "") {
      setRefused(true);
      return;
    }
    onConfirm(trimmed);
  };

  return (
    <Flex direction="column" gap="xs">
      <TextArea
        testId={`${id}-reason`}
        name={`${id}-reason`}
        label={label ?? "Reason for rejecting"}
        required
        value={reason}
        error={refused}
        validationMessage={refused ? (label ? "Say why" : "Say why you reject it") : undefined}
        onChange={(value) => {
          setReason(value);
          if (value.trim() !== "") setRefused(false);
        }}
      />
      <Flex direction="row" gap="xs">
        <Button testId={`${id}-confirm`} variant="destructive" size="xs" disabled={disabled} onClick={confirm}>
          {confirmLabel}
        </Button>
        <Button testId={`${id}-cancel`} variant="transparent" size="xs" onClick={onCancel}>
          Cancel
        </Button>
      </Flex>
    </Flex>
  );
}
