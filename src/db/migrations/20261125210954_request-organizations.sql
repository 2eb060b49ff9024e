CREATE TABLE "request_organizations" (
	"org_id" text NOT NULL,
	"request_id" integer NOT NULL,
	"customer_organization_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "request_organizations__pk" PRIMARY KEY("request_id","customer_organization_id")
);
--> statement-breakpoint
ALTER TABLE "request_organizations" ADD CONSTRAINT "request_organizations_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_organizations" ADD CONSTRAINT "request_organizations_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_organizations" ADD CONSTRAINT "request_organizations_customer_organization_id_customer_organizations_id_fk" FOREIGN KEY ("customer_organization_id") REFERENCES "public"."customer_organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "request_organizations__customer_organization_id" ON "request_organizations" USING btree ("customer_organization_id");