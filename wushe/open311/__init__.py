"""Open311 GeoReport v2 (issue #21 item 5): the need categories as services, a request
submitted through the public intake, and the public status of publicly submitted needs."""
