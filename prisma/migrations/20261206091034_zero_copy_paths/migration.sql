-- CreateEnum
CREATE TYPE "ReassessStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed');

-- AlterTable
ALTER TABLE "GuestProfile" ADD COLUMN     "daxFixBackported" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "fsType" TEXT NOT NULL DEFAULT 'erofs',
ADD COLUMN     "imageSizeMiB" INTEGER,
ADD COLUMN     "ksmRiskAccepted" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "name" TEXT,
ADD COLUMN     "position" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
ALTER COLUMN "id" DROP DEFAULT;

-- The one profile saved before issue 13 is the default: it keeps its id and is named after it.
UPDATE "GuestProfile" SET "name" = "id";
INSERT INTO "GuestProfile" ("id", "name", "updatedAt") VALUES ('default', 'default', CURRENT_TIMESTAMP)
  ON CONFLICT ("id") DO NOTHING;
ALTER TABLE "GuestProfile" ALTER COLUMN "name" SET NOT NULL;

-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "bestPath" TEXT,
ADD COLUMN     "guestProfileId" TEXT;

-- CreateTable
CREATE TABLE "ReassessRun" (
    "id" TEXT NOT NULL,
    "status" "ReassessStatus" NOT NULL DEFAULT 'queued',
    "reason" TEXT NOT NULL,
    "profileId" TEXT,
    "total" INTEGER,
    "done" INTEGER NOT NULL DEFAULT 0,
    "verdictChanged" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "error" TEXT,

    CONSTRAINT "ReassessRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ReassessRun_createdAt_idx" ON "ReassessRun"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "GuestProfile_name_key" ON "GuestProfile"("name");

-- CreateIndex
CREATE INDEX "Host_bestPath_idx" ON "Host"("bestPath");

-- CreateIndex
CREATE INDEX "Host_guestProfileId_idx" ON "Host"("guestProfileId");

-- AddForeignKey
ALTER TABLE "Host" ADD CONSTRAINT "Host_guestProfileId_fkey" FOREIGN KEY ("guestProfileId") REFERENCES "GuestProfile"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Every assessment stored so far was judged against the default profile; its best path (if the rules of that
-- scan had one) is copied from the stored report.
UPDATE "Host" h SET "guestProfileId" = 'default', "bestPath" = s."assessment"->>'bestPath'
  FROM "Scan" s WHERE s."id" = h."currentScanId";
