/** An error Salesforce would answer with: `[{message, errorCode, fields}]` and an HTTP status. */
export class SandboxError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields: string[] = [],
  ) {
    super(message);
  }

  toBody(): { message: string; errorCode: string; fields: string[] }[] {
    return [{ message: this.message, errorCode: this.errorCode, fields: this.fields }];
  }
}
