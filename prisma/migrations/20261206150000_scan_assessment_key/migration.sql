-- AlterTable
ALTER TABLE "Scan" ADD COLUMN     "assessmentKey" TEXT;
