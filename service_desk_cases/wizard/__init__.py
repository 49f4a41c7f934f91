from . import service_desk_phone_call
from . import service_desk_case_escalate
