"use client";

import { useRouter } from "next/navigation";
import { useDeleteHost } from "./host-queries";
import { Button } from "../ui/button";

export function DeleteHostButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const del = useDeleteHost();
  return (
    <Button
      variant="danger"
      disabled={del.isPending}
      onClick={async () => {
        if (!window.confirm(`Delete ${name}? Its scan history goes too; audit events are kept.`)) return;
        await del.mutateAsync(id);
        router.push("/");
      }}
    >
      {del.isPending ? "Deleting…" : "Delete host"}
    </Button>
  );
}
