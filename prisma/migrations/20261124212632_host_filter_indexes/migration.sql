-- CreateIndex
CREATE INDEX "Host_product_idx" ON "Host"("product");

-- CreateIndex
CREATE INDEX "Host_pageSize_idx" ON "Host"("pageSize");

-- CreateIndex
CREATE INDEX "Host_chVersion_idx" ON "Host"("chVersion");

-- CreateIndex
CREATE INDEX "Host_platformClass_idx" ON "Host"("platformClass");

-- CreateIndex
CREATE INDEX "Host_kernelRelease_idx" ON "Host"("kernelRelease");

-- CreateIndex
CREATE INDEX "Host_lastScanStatus_idx" ON "Host"("lastScanStatus");
