"""The yardstick: a bare FastAPI endpoint that validates the same body and does nothing else."""

import secrets

from fastapi import FastAPI

from gateway.schemas import OpinionAccepted, OpinionIn

app = FastAPI()


@app.post("/v1/public/opinions", status_code=202, response_model=OpinionAccepted)
async def submit(body: OpinionIn) -> OpinionAccepted:
    code = secrets.token_hex(6).upper()
    return OpinionAccepted(tracking_code=code, status_url=f"/v1/public/opinions/{code}")
