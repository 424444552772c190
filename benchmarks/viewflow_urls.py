"""The product's URLs plus stock viewflow's own task lists for the approval flow, mounted
under /viewflow/ for the My work benchmark only (never in the product): the same tasks,
listed by viewflow's FlowAppViewset (its inbox and queue views), untouched."""

from django.urls import include, path
from viewflow.contrib.auth import AuthViewset
from viewflow.urls import Site
from viewflow.workflow.flow.viewset import FlowAppViewset

from workflows.flows import DocumentFlow

site = Site(title="Stock viewflow", viewsets=[FlowAppViewset(DocumentFlow, icon="assignment")])

urlpatterns = [
    path("viewflow/accounts/", AuthViewset().urls),
    path("viewflow/", site.urls),
    path("", include("config.urls")),
]
