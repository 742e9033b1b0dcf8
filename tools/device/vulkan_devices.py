#!/usr/bin/env python3
"""Lists the Vulkan physical devices the loader finds, as one JSON line: the adapters Dawn (onnxruntime's
WebGPU provider) chooses from on Linux. onnxruntime-node does not say which adapter it opened, and Node has no
WebGPU of its own, so the device kit asks Vulkan directly through ctypes (python3 is on the device machines).

Only the fields used are declared: VkPhysicalDeviceProperties starts with apiVersion, driverVersion, vendorID,
deviceID, deviceType (uint32 each), then deviceName[256] (Vulkan 1.0 spec, section "Devices")."""
import ctypes
import json
import sys

TYPES = {0: "other", 1: "integrated", 2: "discrete", 3: "virtual", 4: "cpu"}


class AppInfo(ctypes.Structure):
    _fields_ = [("sType", ctypes.c_int), ("pNext", ctypes.c_void_p), ("pApplicationName", ctypes.c_char_p),
                ("applicationVersion", ctypes.c_uint32), ("pEngineName", ctypes.c_char_p),
                ("engineVersion", ctypes.c_uint32), ("apiVersion", ctypes.c_uint32)]


class InstanceInfo(ctypes.Structure):
    _fields_ = [("sType", ctypes.c_int), ("pNext", ctypes.c_void_p), ("flags", ctypes.c_uint32),
                ("pApplicationInfo", ctypes.POINTER(AppInfo)), ("enabledLayerCount", ctypes.c_uint32),
                ("ppEnabledLayerNames", ctypes.c_void_p), ("enabledExtensionCount", ctypes.c_uint32),
                ("ppEnabledExtensionNames", ctypes.c_void_p)]


def version(v):
    return "%d.%d.%d" % (v >> 22, (v >> 12) & 0x3FF, v & 0xFFF)


def main():
    try:
        vk = ctypes.CDLL("libvulkan.so.1")
    except OSError as e:
        return {"ok": False, "error": "no Vulkan loader (libvulkan.so.1): %s" % e}
    app = AppInfo(0, None, b"latentvj-kit", 1, b"latentvj", 1, (1 << 22) | (1 << 12))
    info = InstanceInfo(1, None, 0, ctypes.pointer(app), 0, None, 0, None)
    instance = ctypes.c_void_p()
    res = vk.vkCreateInstance(ctypes.byref(info), None, ctypes.byref(instance))
    if res != 0:
        return {"ok": False, "error": "vkCreateInstance returned %d (no Vulkan driver found?)" % res}
    count = ctypes.c_uint32(0)
    vk.vkEnumeratePhysicalDevices(instance, ctypes.byref(count), None)
    handles = (ctypes.c_void_p * count.value)()
    vk.vkEnumeratePhysicalDevices(instance, ctypes.byref(count), handles)
    devices = []
    for h in handles:
        # The struct is under 1 KB in every Vulkan version; 4 KB leaves room.
        buf = ctypes.create_string_buffer(4096)
        vk.vkGetPhysicalDeviceProperties(ctypes.c_void_p(h), buf)
        api, driver, vendor, device, kind = (int.from_bytes(buf.raw[i:i + 4], "little") for i in range(0, 20, 4))
        name = buf.raw[20:276].split(b"\0", 1)[0].decode("utf-8", "replace")
        devices.append({"name": name, "type": TYPES.get(kind, str(kind)), "vendorID": vendor, "deviceID": device,
                        "api": version(api)})
    vk.vkDestroyInstance(instance, None)
    return {"ok": True, "devices": devices}


if __name__ == "__main__":
    sys.stdout.write(json.dumps(main()) + "\n")
