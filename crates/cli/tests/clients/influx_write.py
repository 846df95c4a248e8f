"""Write samples into weihua with the official InfluxDB v2 Python client.

usage: influx_write.py URL TOKEN TAG START_MS COUNT
Writes COUNT points `dcs,point=TAG value=i` one second apart from START_MS,
synchronously, and exits non-zero if the client reports an error.
"""
import sys

from influxdb_client import InfluxDBClient, Point, WritePrecision
from influxdb_client.client.write_api import SYNCHRONOUS

url, token, tag, start_ms, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
with InfluxDBClient(url=url, token=token, org="demo") as client:
    write = client.write_api(write_options=SYNCHRONOUS)
    points = [
        Point("dcs").tag("point", tag).field("value", float(i)).time(start_ms + i * 1000, WritePrecision.MS)
        for i in range(count)
    ]
    write.write(bucket="weihua", org="demo", record=points, write_precision=WritePrecision.MS)
print("ok", count)
