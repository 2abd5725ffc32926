"""The one-time code a citizen asks for to evaluate the reply to their item (满意度测评, issue 11 item 3)."""
