from . import test_case_catalog
from . import test_case_routing
from . import test_case_workflow
from . import test_case_access
from . import test_case_call
from . import test_case_mail
from . import test_case_portal
from . import test_case_tour
