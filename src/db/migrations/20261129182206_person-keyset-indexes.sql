-- Person columns indexed with the row key after them, so a chunked migration resumes each table after the last
-- key it moved (a seek past the moved rows) instead of skipping their dead index entries again in every chunk.
DROP INDEX "request_attachments__author_id";--> statement-breakpoint
DROP INDEX "request_feedback__author_id";--> statement-breakpoint
DROP INDEX "request_notification_settings__site_user_id";--> statement-breakpoint
DROP INDEX "request_approvers__site_user_id";--> statement-breakpoint
DROP INDEX "request_comments__author_id";--> statement-breakpoint
DROP INDEX "request_participants__site_user_id";--> statement-breakpoint
DROP INDEX "requests__reporter_id";--> statement-breakpoint
DROP INDEX "requests__raised_by_id";--> statement-breakpoint
DROP INDEX "requests__assignee_id";--> statement-breakpoint
CREATE INDEX "request_attachments__author_id" ON "request_attachments" USING btree ("author_id","id");--> statement-breakpoint
CREATE INDEX "request_feedback__author_id" ON "request_feedback" USING btree ("author_id","request_id");--> statement-breakpoint
CREATE INDEX "request_notification_settings__site_user_id" ON "request_notification_settings" USING btree ("site_user_id","request_id");--> statement-breakpoint
CREATE INDEX "request_approvers__site_user_id" ON "request_approvers" USING btree ("site_user_id","approval_id");--> statement-breakpoint
CREATE INDEX "request_comments__author_id" ON "request_comments" USING btree ("author_id","id");--> statement-breakpoint
CREATE INDEX "request_participants__site_user_id" ON "request_participants" USING btree ("site_user_id","request_id");--> statement-breakpoint
CREATE INDEX "requests__reporter_id" ON "requests" USING btree ("reporter_id","id");--> statement-breakpoint
CREATE INDEX "requests__raised_by_id" ON "requests" USING btree ("raised_by_id","id");--> statement-breakpoint
CREATE INDEX "requests__assignee_id" ON "requests" USING btree ("assignee_id","id");