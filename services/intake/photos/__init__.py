"""Photos attached to items: uploaded on their own, checked by content, stripped of EXIF, kept in GridFS."""
