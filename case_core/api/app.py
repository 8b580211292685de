from ninja import NinjaAPI

api = NinjaAPI(title="OpenTribunal case file API", version="1", openapi_url="/openapi.json")
