import type { FC } from 'hono/jsx';
import type { FeedbackRow } from '#src/db/queries/servicedesk/request-feedback.queries.ts';
import type { ApprovalView } from '#src/domain/servicedesk/approvals.ts';
import { CsrfField } from '#src/web/ui/fields.tsx';
import type { RequestAttachments, RequestSla } from './request-extras.ts';

/** The REST download of an attachment: the session cookie authenticates it on the caller's own site. */
const downloadHref = (siteName: string, issueKey: string, id: number) =>
  `/sites/${encodeURIComponent(siteName)}/rest/servicedeskapi/request/${encodeURIComponent(issueKey)}/attachment/${id}`;

function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The request's files with download links, and a form to attach more (agents choose reply or internal). */
export const AttachmentsSection: FC<{
  siteName: string;
  issueKey: string;
  attachments: RequestAttachments;
  action: string;
  csrf: string;
  agent: boolean;
  error?: string;
}> = ({ siteName, issueKey, attachments, action, csrf, agent, error }) => (
  <section aria-labelledby="attachments-heading">
    <h2 id="attachments-heading">Attachments</h2>
    {attachments.length === 0 ? <p class="muted">No files yet.</p> : null}
    {attachments.length ? (
      <ul class="attachments" data-testid="attachments">
        {attachments.map((a) => (
          <li>
            <a href={downloadHref(siteName, issueKey, a.id)} download={a.filename}>
              {a.filename}
            </a>{' '}
            <span class="muted">
              {fileSize(a.size)}
              {agent && !a.isPublic ? ' · internal' : ''}
            </span>
          </li>
        ))}
      </ul>
    ) : null}
    <form method="post" action={action} enctype="multipart/form-data" class="stack card">
      <CsrfField token={csrf} />
      <div class={`field${error ? ' field-invalid' : ''}`}>
        <label for="field-file">Attach a file</label>
        <input id="field-file" type="file" name="file" multiple aria-invalid={error ? 'true' : undefined} />
        {error ? <p class="field-error">{error}</p> : null}
      </div>
      <div class="actions">
        <button type="submit" name="visibility" value="public" class={agent ? 'primary' : undefined}>
          {agent ? 'Attach for the customer' : 'Attach'}
        </button>
        {agent ? (
          <button type="submit" name="visibility" value="internal">
            Attach internally
          </button>
        ) : null}
      </div>
    </form>
  </section>
);

const DECISION: Record<string, string> = {
  pending: 'Waiting for approval',
  approved: 'Approved',
  declined: 'Declined',
};

/** The request's approvals; an approver who has not answered yet approves or declines here. */
export const ApprovalsSection: FC<{ approvals: ApprovalView[]; action: string; csrf: string }> = ({
  approvals,
  action,
  csrf,
}) =>
  approvals.length === 0 ? null : (
    <section aria-labelledby="approvals-heading">
      <h2 id="approvals-heading">Approvals</h2>
      {approvals.map(({ approval, canAnswer }) => (
        <div class="card" data-testid="approval">
          <p>
            <strong>{approval.name}</strong>:{' '}
            <span class="badge" data-testid="approval-decision">
              {DECISION[approval.finalDecision] ?? approval.finalDecision}
            </span>
          </p>
          {canAnswer ? (
            <form method="post" action={`${action}/${approval.id}`} class="actions">
              <CsrfField token={csrf} />
              <button type="submit" name="decision" value="approve" class="primary">
                Approve
              </button>
              <button type="submit" name="decision" value="decline">
                Decline
              </button>
            </form>
          ) : null}
        </div>
      ))}
    </section>
  );

function duration(millis: number): string {
  const minutes = Math.round(Math.abs(millis) / 60_000);
  const text = minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
  return millis < 0 ? `${text} over` : text;
}

/** The SLA metrics of a request for agents: time left (or over) on the running cycle, or how it ended. */
export const SlaSection: FC<{ metrics: RequestSla }> = ({ metrics }) => (
  <section aria-labelledby="sla-heading">
    <h2 id="sla-heading">SLA</h2>
    <dl class="props" data-testid="sla">
      {metrics.map((metric) => {
        const ongoing = metric.ongoingCycle;
        const last = metric.completedCycles.at(-1);
        let text = 'Not started';
        let kind = 'badge-info';
        if (ongoing) {
          const left = ongoing.goalMillis - ongoing.elapsedMillis;
          text = `${ongoing.breached ? 'Breached' : duration(left)} ${ongoing.breached ? `(${duration(left)})` : 'left'}${ongoing.paused ? ' · paused' : ''}`;
          kind = ongoing.breached ? 'badge-danger' : ongoing.paused ? 'badge-info' : 'badge-ok';
        } else if (last) {
          text = last.breached
            ? `Breached (${duration(last.elapsedMillis)})`
            : `Met in ${duration(last.elapsedMillis)}`;
          kind = last.breached ? 'badge-danger' : 'badge-ok';
        }
        return (
          <>
            <dt>{metric.name}</dt>
            <dd>
              <span class={`badge ${kind}`}>{text}</span>
            </dd>
          </>
        );
      })}
    </dl>
  </section>
);

/** The reporter's satisfaction rating of a resolved request: the form, or the rating given. */
export const FeedbackSection: FC<{
  feedback: FeedbackRow | null;
  canRate: boolean;
  action: string;
  csrf: string;
  error?: string;
}> = ({ feedback, canRate, action, csrf, error }) => {
  if (!feedback && !canRate) return null;
  return (
    <section aria-labelledby="feedback-heading">
      <h2 id="feedback-heading">Satisfaction</h2>
      {feedback ? (
        <p data-testid="feedback">
          {canRate ? 'You rated this request' : 'Rated'} {feedback.rating} out of 5
          {feedback.comment ? `: “${feedback.comment}”` : '.'}
        </p>
      ) : null}
      {canRate ? (
        <form method="post" action={action} class="stack card">
          <CsrfField token={csrf} />
          <fieldset class={error ? 'field-invalid' : undefined}>
            <legend>How satisfied are you with how this request was handled?</legend>
            {[1, 2, 3, 4, 5].map((n) => (
              <label class="inline">
                <input type="radio" name="rating" value={String(n)} checked={feedback?.rating === n} /> {n}
                {n === 1 ? ' (very unsatisfied)' : n === 5 ? ' (very satisfied)' : ''}
              </label>
            ))}
            {error ? <p class="field-error">{error}</p> : null}
          </fieldset>
          <div class="field">
            <label for="field-feedback-comment">Comment (optional)</label>
            <textarea id="field-feedback-comment" name="comment" maxLength={2000}>
              {feedback?.comment ?? ''}
            </textarea>
          </div>
          <button type="submit" class="primary">
            {feedback ? 'Change rating' : 'Rate'}
          </button>
        </form>
      ) : null}
    </section>
  );
};
