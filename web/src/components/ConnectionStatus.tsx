export type Status = 'ready' | 'submitted' | 'streaming' | 'reconnecting' | 'error';

const LABEL: Record<Status, string> = {
  ready: 'Ready',
  submitted: 'Sending…',
  streaming: 'Answering…',
  reconnecting: 'reconnecting…',
  error: 'Error',
};

/** Where the conversation's connection is: ready, sending, streaming, reconnecting or failed. */
export function ConnectionStatus({ status }: { status: Status }) {
  return (
    <span
      className={`connection connection-${status}`}
      data-testid="connection-status"
      data-status={status}
      role="status"
    >
      <span className="connection-dot" aria-hidden="true" />
      <span className="connection-label">{LABEL[status]}</span>
    </span>
  );
}
