"""Listings answer one page as a JSON array and point to the next with a `Link: <…>; rel="next"` header."""

from urllib.parse import urlencode

from fastapi import Request, Response

from contracts.paging import Page

PAGED = {
    200: {
        "headers": {
            "Link": {
                "description": '下一页的地址 / the next page: `<…&after=CURSOR>; rel="next"`, absent on the last page',
                "schema": {"type": "string"},
            }
        }
    }
}


def items_with_next_link(request: Request, response: Response, page: Page) -> list:
    if page.next:
        # every value of a repeated parameter (`status=assigned&status=accepted`), the cursor last
        kept = [(name, value) for name, value in request.query_params.multi_items() if name != "after"]
        query = urlencode([*kept, ("after", page.next)])
        response.headers["Link"] = f'<{request.url.path}?{query}>; rel="next"'
    return page.items
