-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "expiresAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "credentialReviewRequired" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "jumpAuthMethod" "AuthMethod",
ADD COLUMN     "jumpCredentialId" TEXT;

-- AlterTable
ALTER TABLE "Settings" ADD COLUMN     "scanAllowCidrs" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "scanDenyCidrs" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "rate_limit" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limit_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "AuditEvent_actorId_at_idx" ON "AuditEvent"("actorId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_action_at_idx" ON "AuditEvent"("action", "at");

-- AddForeignKey
ALTER TABLE "Host" ADD CONSTRAINT "Host_jumpCredentialId_fkey" FOREIGN KEY ("jumpCredentialId") REFERENCES "Credential"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- One active (queued or running) scan per host, enforced by the database instead of per-host advisory locks,
-- so a bulk rescan of 20,000 hosts does not take 20,000 locks in one transaction (issue 12).
CREATE UNIQUE INDEX "Scan_one_active_per_host" ON "Scan"("hostId") WHERE "status" IN ('queued', 'running');
