from . import test_case_catalog
from . import test_case_routing
from . import test_case_workflow
