"""Every guide the site offers, by its URL name."""

from signpost.guides.flow import Flow, check_flow
from signpost.guides.flows import carers, paying_for_care

FLOWS: dict[str, Flow] = {flow.id: flow for flow in (paying_for_care.FLOW, carers.FLOW)}

for _flow in FLOWS.values():
    check_flow(_flow)
