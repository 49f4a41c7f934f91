# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import test_sla_clock
from . import test_sla_escalation
from . import test_sla_escalation_batch
from . import test_sla_perf
from . import test_sla_cache
from . import test_sla_concurrency
from . import test_sla_config
from . import test_sla_intake
from . import test_sla_ladder_failures
from . import test_sla_protected
from . import test_sla_i18n
from . import test_sla_screens
from . import test_sla_live
from . import test_sla_demo
