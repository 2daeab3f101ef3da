from fne_gateway.openapi import merge_documents

GATEWAY = {
    "openapi": "3.1.0",
    "info": {"title": "gw", "version": "1"},
    "paths": {"/api/auth/me": {"get": {"operationId": "me"}}},
}


def service_document(schema_name: str) -> dict:
    ref = {"$ref": f"#/components/schemas/{schema_name}"}
    return {
        "paths": {
            "/health": {"get": {}},
            "/ready": {"get": {}},
            "/places/{id}": {
                "get": {
                    "operationId": "get_place",
                    "tags": ["lieux"],
                    "responses": {"200": {"content": {"application/json": {"schema": ref}}}},
                }
            },
        },
        "components": {"schemas": {schema_name: {"type": "object", "properties": {"parent": ref}}}},
    }


def test_service_paths_are_prefixed_and_probes_left_out():
    merged = merge_documents(GATEWAY, {"directory": service_document("Place")})
    assert set(merged["paths"]) == {"/api/auth/me", "/api/directory/places/{id}"}
    operation = merged["paths"]["/api/directory/places/{id}"]["get"]
    assert operation["operationId"] == "directory_get_place"
    assert operation["tags"] == ["directory · lieux"]


def test_same_schema_names_in_two_services_do_not_collide_and_refs_follow():
    merged = merge_documents(
        GATEWAY, {"directory": service_document("Item"), "surveys": service_document("Item")}
    )
    schemas = merged["components"]["schemas"]
    assert {"DirectoryItem", "SurveysItem"} <= set(schemas)
    assert schemas["SurveysItem"]["properties"]["parent"] == {"$ref": "#/components/schemas/SurveysItem"}
    response = merged["paths"]["/api/surveys/places/{id}"]["get"]["responses"]["200"]
    assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/SurveysItem"}


def test_an_unavailable_service_is_named_and_the_rest_published():
    merged = merge_documents(GATEWAY, {"directory": service_document("Place"), "observatory": None})
    assert merged["x-fne-unavailable-services"] == ["observatory"]
    assert "/api/directory/places/{id}" in merged["paths"]
    assert GATEWAY["paths"] == {"/api/auth/me": {"get": {"operationId": "me"}}}  # the input is not modified
