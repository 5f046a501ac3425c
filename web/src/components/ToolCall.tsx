import { useId, useState, type FormEvent } from 'react';

/** The client-side tool that this page answers (after asking the user). */
export const LOCAL_TIME_TOOL = 'local_time';

export interface ToolView {
  toolName: string;
  toolCallId: string;
  state: string;
  input?: unknown;
  output?: unknown;
  errorText?: string;
  approval?: { id: string; approved?: boolean; reason?: string };
}

/** What the user can answer to a tool call that waits for them. */
export interface ToolActions {
  /** False while the chat is busy (the buttons show, but do nothing yet). */
  enabled: boolean;
  approve: (tool: ToolView) => void;
  deny: (tool: ToolView, reason: string | undefined) => void;
  shareLocalTime: (tool: ToolView) => void;
  declineLocalTime: (tool: ToolView) => void;
}

const STATE_LABEL: Record<string, string> = {
  'input-streaming': 'preparing…',
  'input-available': 'running…',
  'output-available': 'done',
  'output-error': 'failed',
  'output-denied': 'denied',
  'approval-requested': 'waiting for approval',
  'approval-responded': 'approved',
};

function json(value: unknown): string {
  if (value === undefined) return '';
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}

function stateLabel(tool: ToolView): string {
  if (tool.state === 'approval-responded') {
    return `${tool.approval?.approved ? 'Approved' : 'Denied'} — waiting for the answer…`;
  }
  if (tool.state === 'output-denied') {
    return tool.approval?.reason ? `Denied: ${tool.approval.reason}` : 'Denied';
  }
  return STATE_LABEL[tool.state] ?? tool.state;
}

/** Whether the call waits for this page's user: an approval, or the local time to share. */
export function waitsForUser(tool: Pick<ToolView, 'state' | 'toolName'>): boolean {
  return (
    tool.state === 'approval-requested' ||
    (tool.state === 'input-available' && tool.toolName === LOCAL_TIME_TOOL)
  );
}

/**
 * A tool call: its name and state, with input and output (or error) as JSON. A call that waits
 * for the user asks them: Approve / Deny, or Share / Decline for the local time; without
 * `actions` (an earlier message, which can no longer be answered) it only says it was not.
 */
export function ToolCall({ tool, actions }: { tool: ToolView; actions?: ToolActions }) {
  if (waitsForUser(tool)) {
    return actions ? (
      <ToolQuestion tool={tool} actions={actions} />
    ) : (
      <ToolDetails tool={tool} label="not answered" />
    );
  }
  return <ToolDetails tool={tool} label={stateLabel(tool)} />;
}

function ToolDetails({ tool, label }: { tool: ToolView; label: string }) {
  const failed = tool.state === 'output-error' || tool.state === 'output-denied';
  const pending = tool.state === 'approval-responded';
  return (
    <details
      className={`tool${failed ? ' tool-failed' : ''}${pending ? ' tool-pending' : ''}`}
      data-testid="tool-part"
      data-tool-name={tool.toolName}
      data-state={tool.state}
    >
      <summary>
        <span className="tool-icon" aria-hidden="true">
          ⚙
        </span>
        <span className="tool-name">{tool.toolName}</span>
        <span className="tool-state" data-testid="tool-status">
          {label}
        </span>
      </summary>
      <div className="tool-body">
        {tool.input !== undefined && (
          <>
            <div className="tool-label">Input</div>
            <pre className="json" data-testid="tool-input">
              {json(tool.input)}
            </pre>
          </>
        )}
        {tool.state === 'output-available' && (
          <>
            <div className="tool-label">Output</div>
            <pre className="json" data-testid="tool-output">
              {json(tool.output)}
            </pre>
          </>
        )}
        {tool.errorText && (
          <>
            <div className="tool-label">Error</div>
            <pre className="json tool-error" data-testid="tool-error">
              {tool.errorText}
            </pre>
          </>
        )}
        {tool.approval?.reason && (
          <>
            <div className="tool-label">Reason</div>
            <p className="tool-reason" data-testid="tool-reason">
              {tool.approval.reason}
            </p>
          </>
        )}
      </div>
    </details>
  );
}

/** A tool call that waits for the user, with the question and the buttons that answer it. */
function ToolQuestion({ tool, actions }: { tool: ToolView; actions: ToolActions }) {
  const headingId = useId();
  const approval = tool.state === 'approval-requested' ? tool.approval : undefined;
  return (
    <section
      className="tool tool-ask"
      data-testid="tool-part"
      data-tool-name={tool.toolName}
      data-state={tool.state}
      aria-labelledby={headingId}
    >
      <div className="tool-ask-head">
        <span className="tool-icon" aria-hidden="true">
          ⚙
        </span>
        <span className="tool-name">{tool.toolName}</span>
        <span className="tool-state tool-state-ask" data-testid="tool-status">
          {approval ? 'needs your approval' : 'needs your answer'}
        </span>
      </div>
      {approval ? (
        <>
          <p className="tool-question" id={headingId} data-testid="tool-question">
            The assistant wants to run <code>{tool.toolName}</code>
            {tool.input !== undefined ? ' with this input:' : '.'}
          </p>
          {tool.input !== undefined && (
            <pre className="json" data-testid="tool-input">
              {json(tool.input)}
            </pre>
          )}
          <ApprovalButtons tool={tool} actions={actions} />
        </>
      ) : (
        <>
          <p className="tool-question" id={headingId} data-testid="tool-question">
            The assistant asks for your local time
          </p>
          <p className="tool-hint">
            Share sends your time zone ({timeZone()}) and the current time; nothing is sent until
            you choose.
          </p>
          <div className="tool-buttons">
            <button
              type="button"
              className="button button-primary"
              data-testid="tool-share"
              disabled={!actions.enabled}
              onClick={() => actions.shareLocalTime(tool)}
            >
              Share
            </button>
            <button
              type="button"
              className="button"
              data-testid="tool-decline"
              disabled={!actions.enabled}
              onClick={() => actions.declineLocalTime(tool)}
            >
              Decline
            </button>
          </div>
        </>
      )}
    </section>
  );
}

function ApprovalButtons({ tool, actions }: { tool: ToolView; actions: ToolActions }) {
  const toolName = tool.toolName;
  const [denying, setDenying] = useState(false);
  const [reason, setReason] = useState('');
  const reasonId = useId();

  if (denying) {
    const submit = (e: FormEvent) => {
      e.preventDefault();
      const text = reason.trim();
      actions.deny(tool, text ? text.slice(0, 2000) : undefined);
    };
    return (
      <form className="tool-deny-form" onSubmit={submit}>
        <label className="tool-label" htmlFor={reasonId}>
          Reason (optional)
        </label>
        <input
          id={reasonId}
          className="tool-reason-input"
          data-testid="tool-deny-reason"
          value={reason}
          maxLength={2000}
          autoFocus
          placeholder="Tell the assistant why"
          onChange={(e) => setReason(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              setDenying(false);
            }
          }}
        />
        <div className="tool-buttons">
          <button
            type="submit"
            className="button button-danger"
            data-testid="tool-deny-confirm"
            disabled={!actions.enabled}
          >
            Deny
          </button>
          <button
            type="button"
            className="button"
            data-testid="tool-deny-cancel"
            onClick={() => setDenying(false)}
          >
            Cancel
          </button>
        </div>
      </form>
    );
  }
  return (
    <div className="tool-buttons">
      <button
        type="button"
        className="button button-primary"
        data-testid="tool-approve"
        aria-label={`Approve ${toolName}`}
        disabled={!actions.enabled}
        onClick={() => actions.approve(tool)}
      >
        Approve
      </button>
      <button
        type="button"
        className="button"
        data-testid="tool-deny"
        aria-label={`Deny ${toolName}…`}
        disabled={!actions.enabled}
        onClick={() => setDenying(true)}
      >
        Deny…
      </button>
    </div>
  );
}

function timeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'unknown';
  } catch {
    return 'unknown';
  }
}

/** What Share sends: the browser's current time (ISO 8601 with its UTC offset) and time zone. */
export function localTime(now = new Date()): { time: string; timezone: string } {
  const pad = (n: number) => String(Math.trunc(Math.abs(n))).padStart(2, '0');
  const offset = -now.getTimezoneOffset();
  const time =
    `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}` +
    `T${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}` +
    `${offset >= 0 ? '+' : '-'}${pad(offset / 60)}:${pad(offset % 60)}`;
  return { time, timezone: timeZone() };
}
