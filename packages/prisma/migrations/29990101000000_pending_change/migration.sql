-- AlterTable
ALTER TABLE "Document" ADD COLUMN "archivedAt" TIMESTAMP(3), ADD COLUMN "archivedBy" TEXT NOT NULL;

-- CreateIndex
CREATE INDEX "Document_archivedAt_idx" ON "Document"("archivedAt");
