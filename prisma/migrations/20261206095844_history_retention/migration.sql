-- AlterTable
ALTER TABLE "Settings" ADD COLUMN     "historyKeepDays" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "historyKeepScans" INTEGER NOT NULL DEFAULT 20,
ADD COLUMN     "historyPrunedAt" TIMESTAMP(3),
ADD COLUMN     "historyPrunedScans" INTEGER;
